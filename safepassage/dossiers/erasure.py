"""Erasing a case deletes the files its dossiers and share links kept on disk (their keys die
with the case key, or with the link's token, anyway)."""

from safepassage.lib import storage

from .models import Dossier, ShareLink


def delete_files_of_case(case) -> None:
    paths = [storage.path("dossiers", i, "orig")
             for i in Dossier.objects.filter(case=case).values_list("pk", flat=True)]
    paths += [storage.path("links", i, "orig")
              for i in ShareLink.objects.filter(disclosure__case=case).values_list("pk", flat=True)]
    storage.delete(paths)
