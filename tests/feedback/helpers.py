from patrols.models import Category, PatrolTemplate, TemplateItem

MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\x00" * 200
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 200
M4A = b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00" + b"\x00" * 200


def make_template(hall, name="服务规范"):
    template = PatrolTemplate.objects.create(hall=hall, name=name)
    items = [
        TemplateItem.objects.create(
            template=template, category=Category.ENVIRONMENT, text="大厅整洁", points=2, order=1
        ),
        TemplateItem.objects.create(template=template, category=Category.STAFF, text="佩戴工牌", points=3, order=2),
    ]
    return template, items
