; Every function definition; the check keeps generators (a `yield` in their own body) that hold a span or an
; attached context across a `yield`, or that are decorated with a span decorator.
(function_definition) @report
