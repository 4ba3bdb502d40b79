; asyncio.create_task(...), asyncio.ensure_future(...), loop.create_task(...), create_task(...)
(call
  function: [
    (identifier) @method
    (attribute attribute: (identifier) @method)
  ]
  (#any-of? @method "create_task" "ensure_future")) @report
