; Where a message handler is registered: consumer.run({ eachMessage }), channel.consume(q, cb),
; emitter.on('message' | 'data', cb), client.subscribe(channel, cb), queue.process(cb), new Worker(name, processor),
; and a worker reading `workerData`. The check decides the system from the file's imports.
(call_expression
  function: (member_expression property: (property_identifier) @method)
  arguments: (arguments)
  (#any-of? @method "run" "consume" "on" "once" "addListener" "subscribe" "pSubscribe" "psubscribe" "process")) @report

(new_expression
  constructor: [
    (identifier) @class
    (member_expression property: (property_identifier) @class)
  ]
  (#eq? @class "Worker")) @report

((identifier) @report
  (#eq? @report "workerData"))

((shorthand_property_identifier_pattern) @report
  (#eq? @report "workerData"))

(member_expression
  property: (property_identifier) @report
  (#eq? @report "workerData"))
