"""pytest-lsp drives the real `ctxlint server` binary (CTXLINT_BIN, from tests/lsp/run.sh) with the captured client
capabilities of VS Code and Neovim: diagnostics, code actions, fix-all, hover, the commands, settings and a config
reload. pytest-lsp's own checks also fail a test when the server sends what the client's capabilities do not allow."""
import os
import pathlib
import sys

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

ATTACH = (
    "from opentelemetry import context\n\n"
    "def consume(message):\n"
    "    token = context.attach(message)\n"
    "    process(message)\n"
    "    context.detach(token)\n"
)
CLIENTS = ["visual-studio-code", "neovim@v0.11.0", "neovim@v0.7.0"]


@pytest_lsp.fixture(params=CLIENTS, config=ClientServerConfig(server_command=[os.environ["CTXLINT_BIN"], "server"]))
async def client(request, lsp_client: LanguageClient, tmp_path_factory):
    root = tmp_path_factory.mktemp("ws")
    lsp_client.root = root
    lsp_client.spec = request.param
    lsp_client.registrations = []

    # pytest-lsp's client has no handler for dynamic registration: record them
    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params):
        lsp_client.registrations.extend(params.registrations)

    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities(request.param),
            root_uri=root.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="ws")],
        )
    )
    yield
    await lsp_client.shutdown_session()


async def open_file(client, name, text):
    path = pathlib.Path(client.root) / name
    path.write_text(text)
    uri = path.as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(uri=uri, language_id="python", version=1, text=text)))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return path, uri


def at_line(uri, line):
    return types.Range(start=types.Position(line=line, character=0), end=types.Position(line=line, character=0))


@pytest.mark.asyncio
async def test_diagnostics_code_actions_hover_and_commands(client: LanguageClient):
    path, uri = await open_file(client, "consumer.py", ATTACH)
    [diag] = client.diagnostics[uri]
    assert diag.code == "py/attach-without-detach" and diag.source == "ctxlint"
    assert diag.code_description.href.endswith("docs/rules/py/attach-without-detach.md")
    assert diag.range.start == types.Position(line=3, character=12)
    assert [r.message for r in diag.related_information] == ["detached here"]

    actions = await client.text_document_code_action_async(
        types.CodeActionParams(text_document=types.TextDocumentIdentifier(uri=uri), range=at_line(uri, 3), context=types.CodeActionContext(diagnostics=[diag]))
    )
    titles = [a.title for a in actions]
    assert titles[0] == "ctxlint: wrap the rest of the block in `try:` / `finally: detach(token)`", titles
    assert actions[0].is_preferred is True and actions[0].kind == types.CodeActionKind.QuickFix
    assert "ctxlint: ignore `py/attach-without-detach` on this line" in titles
    fix_all = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=at_line(uri, 0),
            context=types.CodeActionContext(diagnostics=[], only=["source.fixAll.ctxlint"]),
        )
    )
    assert [a.kind for a in fix_all] == ["source.fixAll.ctxlint"]
    assert "finally:" in fix_all[0].edit.changes[uri][0].new_text

    hover = await client.text_document_hover_async(types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=3, character=15)))
    assert hover.contents.value.startswith("**py/attach-without-detach**")
    assert hover.range == diag.range

    info = await client.workspace_execute_command_async(types.ExecuteCommandParams(command="ctxlint.printDebugInformation"))
    assert "ctxlint 0.1.0" in info and f"linted as: {path}" in info
    # Neovim 0.10+ offers UTF-8 positions; VS Code and Neovim 0.7 do not
    expected = "utf-8" if client.spec == "neovim@v0.11.0" else "utf-16"
    assert f"position encoding: {expected}" in info, info


@pytest.mark.asyncio
async def test_an_emoji_before_the_finding(client: LanguageClient):
    text = "import asyncio\n\nasync def handle():\n    print('😀'); asyncio.create_task(work())\n"
    _, uri = await open_file(client, "emoji.py", text)
    [diag] = client.diagnostics[uri]
    # `    print('😀'); `: 17 UTF-16 units, 19 bytes
    expected = 19 if client.spec == "neovim@v0.11.0" else 17
    assert diag.range.start == types.Position(line=3, character=expected)


@pytest.mark.asyncio
async def test_settings_and_config_reload(client: LanguageClient):
    _, uri = await open_file(client, "dangling.py", "import asyncio\n\nasync def handle():\n    asyncio.create_task(work())\n")
    assert [d.code for d in client.diagnostics[uri]] == ["py/dangling-task"]
    dynamic = client.capabilities.workspace.did_change_watched_files
    if dynamic is not None and dynamic.dynamic_registration:
        [watcher] = [r for r in client.registrations if r.method == "workspace/didChangeWatchedFiles"]
        globs = [w["globPattern"] for w in watcher.register_options["watchers"]]
        assert globs == ["**/ctxlint.toml", "**/.ctxlint.toml", "**/pyproject.toml", "**/package.json"]
    else:
        assert client.registrations == []
    config = pathlib.Path(client.root) / "ctxlint.toml"
    config.write_text('ignore = ["py/dangling-task"]\n')
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Created)]))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert list(client.diagnostics[uri]) == []
    config.unlink()
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Deleted)]))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert [d.code for d in client.diagnostics[uri]] == ["py/dangling-task"]
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings={"ctxlint": {"ignore": ["py/"]}}))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert list(client.diagnostics[uri]) == []
    client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert list(client.diagnostics[uri]) == []
