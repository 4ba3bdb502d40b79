; Calls that start another process: subprocess.*, os.exec*/spawn*/posix_spawn/system/popen,
; asyncio.create_subprocess_*, multiprocessing Process, ProcessPoolExecutor submit/map. The check resolves the name;
; a bare name may be an alias (`from subprocess import run as sh`), so every bare call is a candidate.
(call
  function: (attribute attribute: (identifier) @name)
  (#match? @name "^(run|Popen|call|check_call|check_output|getoutput|getstatusoutput|system|popen|exec[lv]p?e?|spawn[lv]p?e?|posix_spawnp?|create_subprocess_exec|create_subprocess_shell|Process|submit|map)$")) @report

(call
  function: (identifier) @name) @report
