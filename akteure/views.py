from django.views.generic import DetailView, ListView

from .models import Akteur


class AkteurListView(ListView):
    template_name = "akteure/akteur_list.html"
    paginate_by = 30

    def get_queryset(self):
        return Akteur.objects.veroeffentlicht().select_related("einrichtungsart")


class AkteurDetailView(DetailView):
    template_name = "akteure/akteur_detail.html"

    def get_queryset(self):
        return Akteur.objects.veroeffentlicht().select_related("einrichtungsart")
