; setTimeout(cb, ms), window.setTimeout(cb), process.nextTick(cb), queueMicrotask(cb), ...
; The check keeps only the global timers (not `timers/promises` imports) in a span scope, under `stack`/`none`,
; and takes the first argument that is not a comment as the callback.
(call_expression
  function: [
    (identifier) @timer
    (member_expression property: (property_identifier) @timer)
  ]
  arguments: (arguments)
  (#any-of? @timer "setTimeout" "setInterval" "setImmediate" "queueMicrotask" "nextTick")) @report
