from django.core.management.base import BaseCommand, CommandError

from hall.logins import login_unlock


class Command(BaseCommand):
    help = "Lets a username (or an address) locked out after too many wrong passwords sign in again at once."

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="?", default="")
        parser.add_argument("--address", default="", help="Also unlock this client address.")

    def handle(self, *args, username="", address="", **options):
        if not username and not address:
            raise CommandError("Give a username, an --address, or both.")
        login_unlock(username=username, address=address)
        self.stdout.write(f"Unlocked: {', '.join(filter(None, [username, address]))}.")
