"""Navigation by job, shown on every page."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

NAV = [
    ("home", "Tổng quan", "home"),
    ("plans", "Kế hoạch", "plans:list"),
    ("mywork", "Việc của đơn vị", "plans:my_work"),
    ("reports", "Báo cáo", "reports:index"),
    ("evaluation", "Đánh giá", "evaluation:index"),
    ("simulation", "Mô phỏng", "simulation:index"),
    ("surveys", "Khảo sát", "surveys:index"),
    ("catalog", "Danh mục", "catalog:index"),
]


def navigation(request):
    items = []
    path = request.path
    for key, label, name in NAV:
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        active = path == url if url == "/" else path.startswith(url)
        items.append({"key": key, "label": label, "url": url, "active": active})
    return {"nav_items": items}
