"""Demo scrutiny packs, built at once (no worker needed) so the packs page has some to download."""

from django.http import QueryDict

from partnerships.demo import data


def load_packs(users) -> int:
    # register sits above partnerships; only the demo loader reaches up to it.
    from register import packs
    from register.models import ScrutinyPack

    added = 0
    for title, filters, requester in data.PACKS:
        if ScrutinyPack.objects.filter(title=title).exists():
            continue
        _filterset, rows, summary = packs.pack_selection(QueryDict(filters), user=users[requester])
        pack = ScrutinyPack.objects.create(
            title=title, filters=filters, filter_summary=summary, requested_by=users[requester],
            partnership_ids=list(rows.values_list("pk", flat=True)), total=rows.count(),
        )
        packs.build(pack.pk)
        added += 1
    return added
