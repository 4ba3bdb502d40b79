-- Headless Neovim (0.7: vim.lsp.start_client + buf_attach_client) with the real `ctxlint server`: opens
-- $CTXLINT_FILE, waits for its diagnostic, asks for the code actions on its line, applies the preferred quick fix,
-- and writes the file. Exits 0 when all of that happened (tests/lsp/run.sh then checks the written file), else 1
-- with the reason on stderr.
local function fail(why)
  io.stderr:write("nvim: " .. why .. "\n")
  vim.cmd("cquit 1")
end

local ok, err = pcall(function()
  local file = os.getenv("CTXLINT_FILE")
  local id = vim.lsp.start_client({
    name = "ctxlint",
    cmd = { os.getenv("CTXLINT_BIN"), "server" },
    root_dir = vim.fn.fnamemodify(file, ":h"),
  })
  if not id then return fail("the server did not start") end
  vim.cmd("edit " .. vim.fn.fnameescape(file))
  vim.lsp.buf_attach_client(0, id)
  if not vim.wait(30000, function() return #vim.diagnostic.get(0) > 0 end, 50) then
    return fail("no diagnostic arrived")
  end
  local d = vim.diagnostic.get(0)[1]
  io.stderr:write(string.format("nvim: diagnostic %s at %d:%d: %s\n", d.user_data.lsp.code, d.lnum + 1, d.col + 1, d.message))
  local client = vim.lsp.get_client_by_id(id)
  -- what vim.lsp.buf.code_action() sends: the diagnostic's range, and the line's diagnostics in LSP form
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(0) },
    range = { start = { line = d.lnum, character = d.col }, ["end"] = { line = d.end_lnum, character = d.end_col } },
    context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(0, d.lnum) },
  }
  local responses = vim.lsp.buf_request_sync(0, "textDocument/codeAction", params, 30000)
  local chosen
  for _, response in pairs(responses or {}) do
    for _, action in ipairs(response.result or {}) do
      if action.isPreferred and action.kind == "quickfix" then chosen = action end
    end
  end
  if not chosen then return fail("no preferred quick fix among the code actions") end
  io.stderr:write("nvim: applying " .. chosen.title .. "\n")
  vim.lsp.util.apply_workspace_edit(chosen.edit, client.offset_encoding)
  vim.cmd("write")
  -- the fixed text has no finding left: the server says so after the change
  if not vim.wait(30000, function() return #vim.diagnostic.get(0) == 0 end, 50) then
    return fail("the diagnostic stayed after the fix")
  end
  vim.lsp.stop_client(id)
  vim.cmd("qall!")
end)
if not ok then fail(tostring(err)) end
