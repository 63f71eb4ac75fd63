"""Entry point: `python app.py` serves on 127.0.0.1:5000; `flask --app app ...` for commands."""

import os
import sys

from assessment import create_app
from assessment.bank import BankInvalid
from assessment.config import SettingsError

try:
    app = create_app()
except (BankInvalid, SettingsError) as error:
    # An invalid question bank or an unsafe setting stops the start with every problem,
    # never a traceback.
    print(error, file=sys.stderr)
    sys.exit(1)

if __name__ == "__main__":
    from assessment.startup import print_banner

    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "5000"))
    print_banner(app, host, port)
    app.run(host=host, port=port, debug=False)
