; `<receiver>.start_span(...)`; the check keeps OpenTelemetry tracers' spans that are `with` targets or assigned to a
; name, never made current, and followed while open by span starts without an explicit context.
(call
  function: (attribute attribute: (identifier) @_method)
  (#eq? @_method "start_span")) @report
