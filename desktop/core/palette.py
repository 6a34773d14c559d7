"""The colours a highlight can take (``PALETTE``, names and hex values), the default one, the
common names people use for them, and ``colour_name``, which reads any of those. Kept apart
from ``annotations`` so the command line can name the colours in its help without loading
the library code."""

from __future__ import annotations

from .errors import InvalidInput

# Okabe–Ito colours: distinguishable with the common forms of colour blindness.
PALETTE: dict[str, str] = {
    "yellow": "#F0E442",
    "orange": "#E69F00",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
    "sky blue": "#56B4E9",
    "blue": "#0072B2",
    "bluish green": "#009E73",
    "grey": "#BBBBBB",
}
DEFAULT_COLOUR = "yellow"
COMMON_NAMES = {  # what people call the palette's colours
    "green": "bluish green", "teal": "bluish green", "red": "vermillion", "vermilion": "vermillion",
    "purple": "reddish purple", "pink": "reddish purple",
    "light blue": "sky blue", "cyan": "sky blue", "gray": "grey",
}


def colour_name(colour: str | None) -> str:
    """The palette name for ``colour`` (a name in any case, with -, _ or space, its common name
    — "green", "red", "purple", "gray" … — or its hex).

    None gives ``DEFAULT_COLOUR``; anything else raises InvalidInput.
    """
    if colour is None:
        return DEFAULT_COLOUR
    wanted = " ".join(colour.replace("-", " ").replace("_", " ").lower().split())
    wanted = COMMON_NAMES.get(wanted, wanted)
    for name, hex_value in PALETTE.items():
        if wanted in (name, hex_value.lower()):
            return name
    raise InvalidInput(f"Unknown colour '{colour}': choose one of {', '.join(PALETTE)}.")
