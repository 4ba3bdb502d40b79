; background_tasks.add_task(fn, ...) and BackgroundTask(fn, ...) (Starlette / FastAPI). The check keeps those inside a
; span the handler opens itself that are not handed a context.
(call
  function: (attribute attribute: (identifier) @method)
  (#eq? @method "add_task")) @report

(call
  function: [
    (identifier) @class
    (attribute attribute: (identifier) @class)
  ]
  (#eq? @class "BackgroundTask")) @report
