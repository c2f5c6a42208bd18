"""The export protocol: every file a staff account downloads (lists, admin changelists, network
contact lists, the HSDS API when staff call it) is recorded with who, which list, which filters
and when; the Redaktion reads it in the admin ("Exporte (Protokoll)")."""

from .rollen import ist_staff


def export_festhalten(request, *, liste, format, filter_texte=(), intern=False):
    """Record the export if a staff account makes it; anonymous downloads are not recorded."""
    if not ist_staff(request.user):
        return None
    from .models import Exportprotokoll

    return Exportprotokoll.objects.create(
        benutzer=request.user,
        liste=str(liste)[:200],
        format=format,
        intern=intern,
        filter="\n".join(str(t) for t in filter_texte),
        adresse=request.get_full_path(),
    )
