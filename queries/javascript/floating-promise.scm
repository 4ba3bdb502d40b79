; A call or `new` used as a whole statement: its value (maybe a promise) is dropped.
; The check decides from syntax whether it is a promise and whether the statement is in a span scope.
(expression_statement [(call_expression) (new_expression)] @report)
