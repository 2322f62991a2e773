-- Driven by tests/lsp/neovim.rs: Neovim's built-in LSP client (0.7 and later) opens a file,
-- attaches `bridgelint lsp`, waits for its diagnostics and writes them, one a line, as
-- `line:column:code:source` (0-based, as the client holds them).
local file = os.getenv("BRIDGELINT_NVIM_FILE")
local out = os.getenv("BRIDGELINT_NVIM_OUT")
vim.cmd("edit " .. vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
local id = vim.lsp.start_client({
  name = "bridgelint",
  cmd = { os.getenv("BRIDGELINT_EXE"), "lsp", "--now", os.getenv("BRIDGELINT_NOW") },
  root_dir = os.getenv("BRIDGELINT_ROOT"),
})
vim.lsp.buf_attach_client(buf, id)
vim.wait(20000, function() return #vim.diagnostic.get(buf) > 0 end, 50)
local lines = {}
for _, d in ipairs(vim.diagnostic.get(buf)) do
  local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or ""
  table.insert(lines, string.format("%d:%d:%s:%s", d.lnum, d.col, code, d.source or ""))
end
table.sort(lines)
local f = assert(io.open(out, "w"))
f:write(table.concat(lines, "\n"))
f:close()
vim.lsp.stop_client(id)
vim.cmd("qa!")
