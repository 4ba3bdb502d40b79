; let g = span.enter(); let g = span.entered(); let g = cx.attach();
(let_declaration
  value: (call_expression
    function: (field_expression field: (field_identifier) @_method)
    arguments: (arguments))
  (#any-of? @_method "enter" "entered" "attach")) @report

; let g = Context::attach(cx); let g = opentelemetry::Context::attach(cx);
(let_declaration
  value: (call_expression
    function: (scoped_identifier name: (identifier) @_method))
  (#eq? @_method "attach")) @report
