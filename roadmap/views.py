from django.shortcuts import render


def ladder(request):
    return render(request, "roadmap/ladder.html")
