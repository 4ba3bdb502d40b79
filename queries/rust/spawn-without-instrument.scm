; tokio::spawn(f), task::spawn(f), thread::spawn(|| ..), rayon::spawn(..), and imported or aliased spawn functions
; (`use tokio::spawn as go;`): the check resolves the path through the file's `use` declarations.
(call_expression
  function: [(identifier) (scoped_identifier)] @callee
  arguments: (arguments)) @report

; set.spawn(f) on a JoinSet, s.spawn(|| ..) on a thread scope, thread::Builder::new()..spawn(..), handle.spawn(f)
(call_expression
  function: (field_expression field: (field_identifier) @method)
  arguments: (arguments)
  (#any-of? @method "spawn" "spawn_local" "spawn_blocking" "spawn_fifo")) @report
