"""Join tagged PDFs (WeasyPrint's PDF/UA output) into one, keeping bookmarks and tags.

pypdf's `append` copies pages and bookmarks but drops the structure tree that makes
a PDF readable by screen readers. Here each part's tree is copied too: its
top-level elements are hung under one `Document` element, and its parent-tree keys
(which tie marked content on a page to its element) are shifted past the parts
before it.
"""

import io
from pathlib import Path
from xml.sax.saxutils import escape

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    ContentStream,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

XMP = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"><pdfuaid:part>1</pdfuaid:part></rdf:Description>
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
   <dc:language><rdf:Bag><rdf:li>{lang}</rdf:li></rdf:Bag></dc:language>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/"><pdf:Producer>Partnership Register</pdf:Producer></rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="r"?>"""


def join_tagged(paths: list[Path], *, title: str, author: str = "", lang: str = "en-GB",
                stamps: bytes | None = None, stamp_from: int = 0) -> bytes:
    """The parts as one tagged PDF. `stamps`, a PDF of page furniture (page numbers),
    is laid over the joined pages one for one from page index `stamp_from`."""
    writer = PdfWriter()
    writer.pdf_header = b"%PDF-1.7"
    struct_root = DictionaryObject({NameObject("/Type"): NameObject("/StructTreeRoot")})
    struct_root_ref = writer._add_object(struct_root)
    document = DictionaryObject({
        NameObject("/Type"): NameObject("/StructElem"),
        NameObject("/S"): NameObject("/Document"),
        NameObject("/P"): struct_root_ref,
    })
    document_ref = writer._add_object(document)
    children, parent_tree = ArrayObject(), ArrayObject()
    next_key = 0
    readers = []  # kept open until written: pypdf reads lazily

    for path in paths:
        reader = PdfReader(path)
        readers.append(reader)
        first_page = len(writer.pages)
        source_tree = reader.trailer["/Root"].get("/StructTreeRoot")
        if source_tree is not None:
            # The part's own root and Document element become the joined ones, so
            # every element copied below points at them as its parent.
            translated = writer._id_translated.setdefault(id(reader), {"PreventGC": reader})
            translated[reader.trailer["/Root"].raw_get("/StructTreeRoot").idnum] = struct_root_ref.idnum
            source_document = source_tree["/K"][0]
            translated[source_document.idnum] = document_ref.idnum
        writer.append(reader, import_outline=True)
        if source_tree is None:
            continue
        for child in source_document.get_object()["/K"]:
            children.append(child.clone(writer) if isinstance(child, IndirectObject) else child)
        numbers = source_tree["/ParentTree"]["/Nums"]
        keys = {}
        for key, value in zip(numbers[::2], numbers[1::2]):
            keys[int(key)] = next_key + int(key)
            parent_tree.append(NumberObject(keys[int(key)]))
            parent_tree.append(value.clone(writer))
        for offset, page in enumerate(reader.pages):
            joined = writer.pages[first_page + offset]
            if "/StructParents" in page:
                joined[NameObject("/StructParents")] = NumberObject(keys[int(page["/StructParents"])])
            for annotation in joined.get("/Annots", []):
                annotation = annotation.get_object()
                if "/StructParent" in annotation:
                    annotation[NameObject("/StructParent")] = NumberObject(keys[int(annotation["/StructParent"])])
        next_key = max(keys.values(), default=next_key - 1) + 1

    if stamps is not None:
        _stamp(writer, PdfWriter(clone_from=PdfReader(io.BytesIO(stamps))), first=stamp_from)

    document[NameObject("/K")] = children
    struct_root[NameObject("/K")] = ArrayObject([document_ref])
    struct_root[NameObject("/ParentTree")] = writer._add_object(
        DictionaryObject({NameObject("/Nums"): parent_tree})
    )
    struct_root[NameObject("/ParentTreeNextKey")] = NumberObject(next_key)

    root = writer._root_object
    root[NameObject("/StructTreeRoot")] = struct_root_ref
    root[NameObject("/MarkInfo")] = DictionaryObject({NameObject("/Marked"): BooleanObject(True)})
    root[NameObject("/Lang")] = TextStringObject(lang)
    root[NameObject("/ViewerPreferences")] = DictionaryObject({NameObject("/DisplayDocTitle"): BooleanObject(True)})
    root[NameObject("/PageMode")] = NameObject("/UseOutlines")
    writer.add_metadata({"/Title": title, "/Author": author, "/Creator": "Partnership Register"})
    writer.xmp_metadata = XMP.format(title=escape(title), lang=escape(lang)).encode()
    root["/Metadata"].get_object().update(
        {NameObject("/Type"): NameObject("/Metadata"), NameObject("/Subtype"): NameObject("/XML")}
    )

    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _stamp(writer: PdfWriter, stamps: PdfWriter, *, first: int) -> None:
    """Lay each stamp page over a page, its content marked as an artifact (page
    furniture, which PDF/UA asks to keep out of what a screen reader reads)."""
    for offset, stamp in enumerate(stamps.pages):
        furniture = ContentStream(None, None)
        furniture.set_data(b"/Artifact BMC\n" + stamp.get_contents().get_data() + b"\nEMC\n")
        stamp.replace_contents(furniture)
        page = writer.pages[first + offset]
        page.merge_page(stamp)
        page.compress_content_streams()  # merging leaves the page's content uncompressed
