"""Hoox folders, for assets and videos."""

from __future__ import annotations

from typing import Any

from ..._endpoint import Call, Resource, async_variant, endpoint
from ..._models.hoox import Folder
from ..._validation import check_enum, check_str, drop_none
from ._shared import items_of

__all__ = ["AsyncFolders", "Folders"]

FOLDER_TYPES = ("assets", "videos")


def _folders(raw: Any) -> list[Folder]:
    return Folder.list_from_raw(items_of(raw, "folders"))


class Folders(Resource):
    @endpoint
    def create(
        self, name: str, *, type: str | None = None, parent_folder_id: str | None = None
    ) -> Folder:
        """Create a folder (`type` "assets", the server default, or "videos"); a
        subfolder's parent must be a folder of the same type."""
        check_str("name", name, required=True)
        check_enum("type", type, FOLDER_TYPES)
        check_str("parent_folder_id", parent_folder_id, min_len=1)
        body = drop_none(name=name, type=type, parent_folder_id=parent_folder_id)
        return Call(
            "POST",
            "/folder/create",
            body=body,
            parse=Folder.from_raw,
            hint="Call client.folders.list() to see whether it was created.",
        )

    @endpoint
    def list(self, *, type: str | None = None) -> list[Folder]:
        """All folders (or those of one `type`); subfolders have a `parent_folder_id`."""
        check_enum("type", type, FOLDER_TYPES)
        query = [("type", type)] if type is not None else []
        return Call("GET", "/folder/list", query=query, parse=_folders)


AsyncFolders = async_variant(Folders)
