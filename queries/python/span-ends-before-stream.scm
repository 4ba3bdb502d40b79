; Every `return <value>`; the check keeps those inside a span scope of their own function (a span `with` block or a
; span decorator) that return a lazily consumed object made there.
(return_statement (_)) @report
