// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title FalseReturnToken — TEST MOCK, never deploy
/// @notice An ERC-20 whose `transfer` and `transferFrom`, while failing is switched on, return
///         false without reverting and without moving anything: the failure mode SafeERC20 exists
///         to catch. Failing is on from deployment; `setFailing(false)` makes it a plain ERC-20.
contract FalseReturnToken is ERC20 {
    /// @notice Whether transfers currently return false.
    bool public failing = true;

    constructor() ERC20("False Return USD", "frUSD") {}

    /// @notice Mints `amount` to `to`; anyone may call it (test token).
    /// @param to The recipient.
    /// @param amount The amount to mint.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Switches the silent failure on or off; anyone may call it (test token).
    /// @param failing_ Whether transfers return false from now on.
    function setFailing(bool failing_) external {
        failing = failing_;
    }

    /// @notice Returns false and moves nothing while `failing`; a plain transfer otherwise.
    /// @param to The recipient.
    /// @param value The amount.
    /// @return False while failing, else true.
    function transfer(address to, uint256 value) public override returns (bool) {
        if (failing) return false;
        return super.transfer(to, value);
    }

    /// @notice Returns false and moves nothing while `failing`; a plain transferFrom otherwise.
    /// @param from The holder.
    /// @param to The recipient.
    /// @param value The amount.
    /// @return False while failing, else true.
    function transferFrom(address from, address to, uint256 value) public override returns (bool) {
        if (failing) return false;
        return super.transferFrom(from, to, value);
    }
}
