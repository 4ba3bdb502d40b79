; context.attach(ctx), attach(ctx), opentelemetry.context.attach(ctx); the check resolves the import.
(call
  function: [
    (identifier) @_name
    (attribute attribute: (identifier) @_name)
  ]
  (#eq? @_name "attach")) @report
