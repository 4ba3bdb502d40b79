; pool.submit(fn), pool.map(fn, xs), loop.run_in_executor(ex, fn), ThreadPool.apply_async(fn), fut.add_done_callback(cb)
(call
  function: (attribute attribute: (identifier) @method)
  (#any-of? @method "submit" "map" "run_in_executor" "apply_async" "map_async" "apply" "imap" "imap_unordered" "starmap" "starmap_async" "add_done_callback")) @report

; threading.Thread(target=fn), Timer(t, fn), and same-file Thread subclasses (any capitalised callee)
(call
  function: [
    (identifier) @class
    (attribute attribute: (identifier) @class)
  ]
  (#match? @class "^[A-Z]")) @report
