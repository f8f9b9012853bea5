"""The default storage (MEDIA_ROOT): files that appear whole or not at all, readable by the service alone."""

import os
from contextlib import suppress

from django.core.files.storage import FileSystemStorage
from django.utils.crypto import get_random_string


class PrivateFileSystemStorage(FileSystemStorage):
    """FileSystemStorage that writes each file under a temporary name in its folder and renames
    it into place once it is whole.

    Django's own writes under the final name, so a write that fails (a full disk) leaves an
    empty or part-written file that looks finished. A rename within a folder is atomic: the
    file is whole or absent, and on failure the temporary file is removed. Modes come from
    STORAGES (0600 files, 0700 folders), as kept PDFs are: the files hold what only some
    people may read, and only the service's own views serve them.
    """

    def _save(self, name, content):
        folder, filename = os.path.split(name)
        partial = os.path.join(folder, f".partial-{get_random_string(12)}-{filename}")
        try:
            partial = super()._save(partial, content)  # makes the folders, sets the file's mode
        except BaseException:
            with suppress(FileNotFoundError):
                os.remove(self.path(partial))
            raise
        # `name` is one Storage.save has just found free; only the same file saved twice at
        # once could take it meanwhile (a pack's file name holds its id, built by one worker).
        os.replace(self.path(partial), self.path(name))
        return name
