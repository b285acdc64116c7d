-- request.overdue: requests still open after their due date (on var('as_of')), by type.
{{ requests_in_status('overdue', 'still open after the due date') }}
