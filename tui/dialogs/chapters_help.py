"""The help of the chain-rule chapter (slides 26-29) and of forward against backward mode (slides 70-72)."""

from __future__ import annotations

from .help import HelpScreen

CHAIN_TEXT = (
    "Slides 26-28 ask why a formalism is needed at all. For linear regression, setting the derivatives of the "
    "squared error to zero gives β0 = ȳ − β1x̄ and β1 in closed form. For logistic regression the same equations "
    "keep β inside every σ(·): there is no closed form, so we follow the derivative downhill instead, and we need "
    "a systematic way to get derivatives of functions of functions.\n\n"
    "Slide 29 is that way, the chain rule. For y = g(x), z = f(y): dz/dx = dz/dy · dy/dx. For a longer chain the "
    "derivative is the product of every local partial on the path. With vectors, each xᵢ feeds several yⱼ, and "
    "∂z/∂xᵢ = Σⱼ ∂z/∂yⱼ · ∂yⱼ/∂xᵢ: the backward pass adds one term per yⱼ (the += you see), and a yⱼ that does not "
    "read xᵢ adds 0."
)

READING_TEXT = (
    "Each key press adds one line: a value stored on the way forward (with its local partials), or one factor of "
    "the chain rule on the way back. The graph lights the node of the step; its box shows the value and, once "
    "the backward pass reaches it, dz/dξ."
)

MODES_TEXT = (
    "Both passes of the same graph run side by side, one step per key. Forward mode carries dξ/dW with every value, "
    "so its column fills top-down and ends with dL/dW for one weight W: the full gradient takes one sweep per "
    "weight (w shows another). Backward mode stores every value first, then sends dL/dξ back from the loss, so "
    "its column fills bottom-up and ends with the derivative for every weight at once.\n\n"
    "The sweeps table checks that the two agree weight by weight. The cost table counts, on each of the lecture's "
    "graphs, the sweeps and the chain-rule products (one per edge a sweep follows) each mode needs for the whole "
    "gradient: one sweep each with one weight (the backward sweep also sends terms into the data X and y), "
    "and forward mode falls behind as the weights grow (slide 70: the difference "
    "is clearer when there are multiple nodes per layer)."
)


class ChainRuleHelpScreen(HelpScreen):
    """Keys and the ideas of slides 26-29; escape, q or ? closes it."""

    EXTRA_KEYS = (("escape", "Close this help"),)
    SECTIONS = (("Why a formalism, and the chain rule", CHAIN_TEXT), ("Reading a page", READING_TEXT))


class ModesComparedHelpScreen(HelpScreen):
    """Keys and the comparison of slides 70-72; escape, q or ? closes it."""

    EXTRA_KEYS = (("escape", "Close this help"),)
    SECTIONS = (("Forward mode against backward mode", MODES_TEXT),)
