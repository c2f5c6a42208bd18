from django.views.generic import DetailView, ListView

from .models import Netzwerk


class NetzwerkListView(ListView):
    template_name = "netzwerke/netzwerk_list.html"

    def get_queryset(self):
        return Netzwerk.objects.veroeffentlicht().select_related("programm", "region")


class NetzwerkDetailView(DetailView):
    template_name = "netzwerke/netzwerk_detail.html"

    def get_queryset(self):
        return Netzwerk.objects.veroeffentlicht().select_related("programm", "region")
