; Where a message leaves the process: producer.send({ messages }), channel.publish / sendToQueue, queue.add(...),
; worker.postMessage(...), new Worker(file, { workerData }). The check decides the system from the file's imports.
(call_expression
  function: (member_expression property: (property_identifier) @method)
  arguments: (arguments)
  (#any-of? @method "send" "sendBatch" "publish" "sendToQueue" "add" "addBulk" "postMessage")) @report

(new_expression
  constructor: [
    (identifier) @class
    (member_expression property: (property_identifier) @class)
  ]
  (#eq? @class "Worker")) @report
