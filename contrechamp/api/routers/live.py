from ninja import Router

router = Router(tags=["Live rooms"])
