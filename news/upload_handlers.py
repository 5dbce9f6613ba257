"""A ceiling on the files of one request, applied while the body is read.

Django bounds a request's form fields (``DATA_UPLOAD_MAX_MEMORY_SIZE``) and its number of files
(``DATA_UPLOAD_MAX_NUMBER_FILES``), not the size of the files: they are streamed to memory or to
temporary files (past ``FILE_UPLOAD_MAX_MEMORY_SIZE``) as long as the client sends. The only
upload of the site is the admin's "Importer un lot", so its limit, ``IMPORT_MAX_UPLOAD_BYTES``,
bounds every request's files. The body is parsed before any view runs (the CSRF and malformed
request middlewares read the form), hence a handler rather than a check in the view.
"""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload


class UploadLimitHandler(FileUploadHandler):
    """Drops every file of a request once their bytes go over ``IMPORT_MAX_UPLOAD_BYTES`` and
    marks the request (``request.upload_too_large``) so that the view can say so.

    The rest of the body is still read and thrown away, so the client gets the answer rather
    than a reset connection; a front server's body limit (nginx ``client_max_body_size``)
    should stop senders of much more than that."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.received = 0
        self.request.upload_too_large = False

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.IMPORT_MAX_UPLOAD_BYTES:
            self.request.upload_too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handlers keep the file
