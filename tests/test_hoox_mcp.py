"""The simulator against Hoox's official client: hoox-mcp 0.1.7 (the MCP server Hoox
publishes; pinned in .ci/env.sh with `mcp<2`, since 0.1.7 imports `mcp.server.fastmcp`,
which mcp 2 renamed) runs as a real MCP server over stdio, and every one of its 21
tools is called through the MCP protocol against the simulator, with ids the
simulator handed out (voices and avatars listed first). Each call must be accepted
(no `{"error": true, ...}` answer) and answered with the documented fields.

hoox-mcp deliberately reads no base URL from the environment (its client.py: only
`HOOX_API_KEY`), so the launcher below builds its one module-level client with the
constructor's own `base_url=` argument before starting the server: nothing of
hoox-mcp is patched; its HTTP goes to the simulator's loopback address."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from typing import Any

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

from reelkit.testing import Simulator

LAUNCHER = """
import sys
import hoox_mcp.server as server
from hoox_mcp.client import HooxClient
server._client = HooxClient(base_url=sys.argv[1])  # the key comes from HOOX_API_KEY
server.main()
"""

TOOLS = {
    "list_voices",
    "get_voice",
    "list_avatars",
    "get_avatar",
    "get_avatar_look",
    "get_avatar_status",
    "create_avatar",
    "edit_avatar",
    "list_asset_models",
    "get_asset_model",
    "create_folder",
    "list_folders",
    "get_asset_pricing",
    "start_asset",
    "get_asset_status",
    "generate_script",
    "start_generation",
    "get_generation_status",
    "start_export",
    "get_export_status",
    "duplicate_video",
}


class Tools:
    """Calls tools on one MCP session and keeps what each answered."""

    def __init__(self, session: ClientSession) -> None:
        self.session = session
        self.called: dict[str, Any] = {}

    async def __call__(self, tool: str, /, **arguments: Any) -> Any:
        result = await self.session.call_tool(tool, arguments)
        assert not result.isError, (tool, result.content)
        (content,) = result.content
        answer = json.loads(content.text)
        # hoox-mcp turns any HTTP error into {"error": true, "status_code", "detail"}.
        assert not (isinstance(answer, dict) and answer.get("error")), (tool, arguments, answer)
        self.called[tool] = answer
        return answer


def has(obj: dict, *keys: str) -> None:
    missing = [k for k in keys if k not in obj]
    assert not missing, f"missing {missing} in {obj}"


async def scenario(sim: Simulator) -> dict[str, Any]:
    params = StdioServerParameters(
        command=sys.executable,
        args=["-c", LAUNCHER, sim.hoox_base_url],
        env={**os.environ, "HOOX_API_KEY": sim.hoox_api_key},
    )
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        listed = {tool.name for tool in (await session.list_tools()).tools}
        assert listed == TOOLS
        call = Tools(session)

        voices = await call("list_voices", language="en")
        assert voices["showing"] > 0
        voice = voices["voices"][0]
        has(voice, "id", "name", "language", "gender")
        has(await call("get_voice", voice_id=voice["id"]), "id", "name", "language")

        looks = await call("list_avatars", gender="female")
        assert looks["showing"] > 0
        look = looks["avatars"][0]
        has(look, "id", "avatar_id", "gender", "format", "model_available")
        avatar = await call("get_avatar", avatar_id=look["avatar_id"])
        has(avatar, "id", "looks")
        has(await call("get_avatar_look", avatar_id=look["avatar_id"], look_id=look["id"]), "id")

        job = await call("create_avatar", prompt="A barista in a bright cafe.", resolution="2K")
        has(job, "avatar_id", "look_id")
        # Image mode: the images become a look at once (free). hoox-mcp sends `imageUrls`.
        from_images = await call(
            "create_avatar", image_urls=["https://example.com/me.jpg"], name="Me", place="office"
        )
        has(from_images, "avatar_id", "look_id")
        status = await call("get_avatar_status", avatar_id=job["avatar_id"], look_id=job["look_id"])
        has(status, "status")
        edited = await call(
            "edit_avatar",
            avatar_id=look["avatar_id"],
            look_id=look["id"],
            prompt="The same person, smiling.",
            image_urls=["https://example.com/product.png"],
        )
        has(edited, "avatar_id", "look_id")

        models = await call("list_asset_models", type="image")
        model = models["models"][0]["name"] if isinstance(models, dict) else models[0]["name"]
        has(await call("get_asset_model", name=model), "name", "type")
        pricing = await call("get_asset_pricing", model=model, generation_count=2)
        has(pricing, "cost_per_generation", "total_cost")
        folder = await call("create_folder", name="Launch assets")
        has(folder, "id", "name", "type")
        folders = await call("list_folders", type="assets")
        items = folders["folders"] if isinstance(folders, dict) else folders
        assert folder["id"] in {f["id"] for f in items}
        asset = await call(
            "start_asset", type="image", model=model, prompt="A cup of tea.", folder_id=folder["id"]
        )
        has(asset, "asset_ids", "status")
        has(await call("get_asset_status", asset_id=asset["asset_ids"][0]), "status")

        script = await call("generate_script", prompt="Why tea is good for you.", duration=30)
        has(script, "script", "cost")

        started = await call(
            "start_generation",
            script=script["script"],
            voice_id=voice["id"],
            avatar_id=look["id"],
            format="vertical",
        )
        has(started, "job_id", "status")
        # Prompt mode with the options hoox-mcp documents.
        prompted = await call(
            "start_generation",
            prompt="Three tips for better sleep.",
            duration=30,
            voice_id=voice["id"],
            avatar_id=look["id"],
            format="horizontal",
            web_search={"script": True, "images": True},
            enable={"subtitles": True, "broll": True, "music": True, "transitions": True},
        )
        has(prompted, "job_id", "status")
        for _ in range(200):
            generation = await call("get_generation_status", job_id=started["job_id"])
            if generation["status"] == "completed":
                break
            await asyncio.sleep(0.05)
        assert generation["status"] == "completed", generation
        video_id = generation["result"]["video_id"]

        export = await call("start_export", video_id=video_id, format="vertical")
        has(export, "job_id", "status")
        has(await call("get_export_status", job_id=export["job_id"]), "status", "progress")
        copy = await call(
            "duplicate_video", video_id=video_id, voice_id=voice["id"], avatar_look_id=look["id"]
        )
        has(copy, "video_id", "status")
        return call.called


def test_every_hoox_mcp_tool_is_accepted_by_the_simulator():
    with Simulator(job_seconds=0.5, rate_limit_per_minute=0) as sim:
        called = asyncio.run(scenario(sim))
        paths = {r.path.removeprefix("/api/public/v1") for r in sim.requests()}
    assert set(called) == TOOLS  # every tool, each answered without an error
    assert {"/voice/list", "/avatar/list", "/generation/start", "/video/duplicate"} <= paths
