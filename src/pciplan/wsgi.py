import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pciplan.settings")
application = get_wsgi_application()

if os.environ.get("PCIPLAN_WARMUP", "1") != "0":
    from pciplan.ops.warmup import warm_up

    warm_up()  # every view imported and the long-lived objects frozen (see pciplan.ops.warmup)
