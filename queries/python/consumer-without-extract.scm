; Consumer loops and callbacks: `for`/`async for` over a consumer, `while` loops that poll a consumer or take from a
; queue, pika `basic_consume(..., on_message_callback=cb)`, aio-pika `queue.consume(cb)`. The check decides.
(for_statement) @report
(while_statement) @report
(call
  function: (attribute attribute: (identifier) @method)
  (#any-of? @method "basic_consume" "consume")) @report
