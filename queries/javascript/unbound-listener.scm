; emitter.on('event', listener), .once, .addListener, .prependListener, .prependOnceListener, .addEventListener.
; The check keeps listeners in a span scope that start a span or read the active context and are not bound, on an
; emitter the same function did not make (under `stack`: did not make and fire itself).
(call_expression
  function: (member_expression property: (property_identifier) @method)
  arguments: (arguments)
  (#any-of? @method "on" "once" "addListener" "prependListener" "prependOnceListener" "addEventListener")) @report
