from django.core.management.base import BaseCommand

from pciplan.orgs.models import User
from pciplan.plans.demo import DEMO_PASSWORD, DEMO_USERS


class Command(BaseCommand):
    help = "In các tài khoản mẫu để đăng nhập thử."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="địa chỉ máy chủ sẽ chạy (make run: HOST, PORT)")

    def handle(self, *args, **options):
        users = {u.username: u for u in User.objects.filter(username__in=[d[0] for d in DEMO_USERS]).select_related("organisation")}
        self.stdout.write("")
        self.stdout.write(f"Tài khoản mẫu (mật khẩu chung: {DEMO_PASSWORD}) — demo logins:")
        for username, *_ in DEMO_USERS:
            user = users.get(username)
            if user is None:
                continue
            org = user.organisation.display_name if user.organisation else "—"
            self.stdout.write(f"  {username:<18} {user.get_role_display():<20} {org}")
        self.stdout.write("")
        self.stdout.write(f"Mở {options['url']} và đăng nhập.")
