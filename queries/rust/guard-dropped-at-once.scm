; let _ = span.enter(); let _ = span.entered(); let _ = cx.attach();  (the check keeps only the `_` pattern)
(let_declaration
  value: (call_expression
    function: (field_expression field: (field_identifier) @_method)
    arguments: (arguments))
  (#any-of? @_method "enter" "entered" "attach")) @report

; let _ = Context::attach(cx); let _ = opentelemetry::Context::attach(cx);
(let_declaration
  value: (call_expression
    function: (scoped_identifier name: (identifier) @_method))
  (#eq? @_method "attach")) @report

; span.enter(); span.entered(); cx.attach();  as statements
(expression_statement
  (call_expression
    function: (field_expression field: (field_identifier) @_method)
    arguments: (arguments))
  (#any-of? @_method "enter" "entered" "attach")) @report
