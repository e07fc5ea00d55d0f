// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title RevertingToken — TEST MOCK, never deploy
/// @notice An ERC-20 whose `transfer` and `transferFrom` revert with {TransfersBlocked} while
///         blocking is switched on (e.g. a paused or blocklisting token). Blocking is on from
///         deployment; `setBlocked(false)` makes it a plain ERC-20.
contract RevertingToken is ERC20 {
    /// @notice Whether transfers currently revert.
    bool public blocked = true;

    /// @notice Raised by every transfer while blocked.
    error TransfersBlocked();

    constructor() ERC20("Reverting USD", "rvUSD") {}

    /// @notice Mints `amount` to `to`; anyone may call it (test token).
    /// @param to The recipient.
    /// @param amount The amount to mint.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Switches blocking on or off; anyone may call it (test token).
    /// @param blocked_ Whether transfers revert from now on.
    function setBlocked(bool blocked_) external {
        blocked = blocked_;
    }

    /// @notice Reverts with {TransfersBlocked} while `blocked`; a plain transfer otherwise.
    /// @param to The recipient.
    /// @param value The amount.
    /// @return True (when not blocked).
    function transfer(address to, uint256 value) public override returns (bool) {
        if (blocked) revert TransfersBlocked();
        return super.transfer(to, value);
    }

    /// @notice Reverts with {TransfersBlocked} while `blocked`; a plain transferFrom otherwise.
    /// @param from The holder.
    /// @param to The recipient.
    /// @param value The amount.
    /// @return True (when not blocked).
    function transferFrom(address from, address to, uint256 value) public override returns (bool) {
        if (blocked) revert TransfersBlocked();
        return super.transferFrom(from, to, value);
    }
}
