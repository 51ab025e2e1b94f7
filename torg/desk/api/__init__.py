"""The cases API, /api/v1/cases/: the categories, the cases, and each case's conversation and records."""

from ninja import Router

from torg.desk.api import cases, categories, conversation

router = Router()
# Fixed paths first: "categories/" and "bulk/…" must not be read as a case id.
router.add_router("", categories.router)
router.add_router("", cases.router)
router.add_router("", conversation.router)
