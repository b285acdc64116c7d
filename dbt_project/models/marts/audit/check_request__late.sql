-- request.late: requests completed after their due date, by type.
{{ requests_in_status('late', 'completed after the due date') }}
