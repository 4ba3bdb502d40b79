; asyncio.create_task(...), asyncio.ensure_future(...), loop.create_task(...); the check keeps those started in a span
; scope or a request handler whose coroutine resolves in the file to a body with an unbounded loop that does traced
; work.
(call
  function: [
    (identifier) @_method
    (attribute attribute: (identifier) @_method)
  ]
  (#any-of? @_method "create_task" "ensure_future")) @report
