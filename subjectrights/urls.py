app_name = "subjectrights"

urlpatterns: list = []
