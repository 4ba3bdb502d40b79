; gevent.spawn(...), gevent.spawn_later(...), <gevent pool or group>.spawn(...) (however imported); the check keeps
; those in a span scope or handler whose callable is not a copied context's `run`.
(call
  function: [
    (identifier) @_method
    (attribute attribute: (identifier) @_method)
  ]
  (#any-of? @_method "spawn" "spawn_later")) @report
