-- request.overdue: requests still open after their due date (on as_of_date()), by type.
{{ requests_in_status('overdue', 'still open after the due date') }}
