"""The demo's paperwork: case Alpha gets what a visa dossier needs (its passport in the register,
consent for the dossier on its FICTIONAL testimony, a French translation by the demo translator,
a photo as evidence), so a demo caseworker can make one, and a coordinator approve sending it."""

import io
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from safepassage.cases.actions import core as case_actions
from safepassage.cases.actions import documents
from safepassage.evidence.actions import files
from safepassage.evidence.actions import testimonies as testimony_actions

FRENCH = ("EXEMPLE FICTIF. J'ai été arrêté à un poste de contrôle près d'Exempleville, en mars, et détenu "
          "neuf jours dans un sous-sol. Ils m'ont frappé et ont pris mon téléphone ; ils voulaient les noms des "
          "hommes qui s'y trouvaient.")


def seed(first, first_secret, translator, translator_secret, worker, worker_secret, case) -> None:
    documents.add_document(worker, worker_secret, case, kind="international_passport", status="obtained",
                           reference="FICTIONAL 00 0000000", issued_on=date(2016, 2, 1), expires_on=date(2031, 2, 1))
    testimony = case.testimonies.first()
    testimony_actions.record_consent(worker, worker_secret, case, testimony, purpose="dossier",
                                     given_on=date.today(), note="FICTIONAL demo consent.")
    case_actions.add_member(first, first_secret, case, translator)
    testimony_actions.add_translation(translator, translator_secret, case, testimony, text=FRENCH,
                                      target_language="fr")
    picture = io.BytesIO()
    Image.new("RGB", (480, 320), (150, 40, 40)).save(picture, format="JPEG")
    files.ingest(worker, worker_secret, case=case, upload=SimpleUploadedFile("demo.jpg", picture.getvalue()),
                 description="FICTIONAL demo photo")
