"""The first module the fork server imports (`pool.PRELOAD`); nothing else imports it.

Ctrl-C reaches every process of the terminal's process group. The fork server ignores it, but
only once its preloaded modules are imported (0.2-0.3 s): a Ctrl-C in that time printed a
KeyboardInterrupt traceback from it beside the build's own "Aborted!". Ignored from here on,
in the fork server and in the workers it forks, which the build stops itself.
"""

import signal

signal.signal(signal.SIGINT, signal.SIG_IGN)
