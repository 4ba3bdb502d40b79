; als.run(store, fn) / als.enterWith(store): the check keeps AsyncLocalStorage receivers whose store is a whole
; request, response, body, koa ctx or event object.
(call_expression
  function: (member_expression property: (property_identifier) @method)
  arguments: (arguments)
  (#any-of? @method "run" "enterWith")) @report
