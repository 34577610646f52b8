from django import template
from django.utils.safestring import SafeString

from contrechamp.live.models import Message
from contrechamp.live.queries import Chunk
from contrechamp.live.text import render_chat

register = template.Library()


@register.filter
def chat(text: str) -> SafeString:
    return render_chat(text)


@register.simple_tag
def reaction_count(chunk: Chunk, message: Message, emoji: str) -> str:
    count = chunk.reactions.get(message.pk, {}).get(emoji, 0)
    return str(count) if count else ""
