// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title FeeOnTransferToken — TEST MOCK, never deploy
/// @notice An ERC-20 that burns a 1% fee on every transfer between holders: the sender loses the
///         full amount, the recipient receives the amount minus the fee. Mints and burns are free.
contract FeeOnTransferToken is ERC20 {
    /// @notice The fee in basis points of the transferred amount (1%).
    uint256 public constant FEE_BPS = 100;
    uint256 private constant BPS = 10_000;

    constructor() ERC20("Fee On Transfer USD", "feeUSD") {}

    /// @notice Mints `amount` to `to`; anyone may call it (test token).
    /// @param to The recipient.
    /// @param amount The amount to mint.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice The fee burned when `amount` is transferred (rounded down).
    /// @param amount The amount transferred.
    /// @return The fee.
    function feeOf(uint256 amount) public pure returns (uint256) {
        return amount * FEE_BPS / BPS;
    }

    /// @dev Transfers between holders deliver `value - fee` and burn the fee; mints and burns pass through.
    function _update(address from, address to, uint256 value) internal override {
        if (from == address(0) || to == address(0)) {
            super._update(from, to, value);
            return;
        }
        uint256 fee = feeOf(value);
        super._update(from, to, value - fee);
        super._update(from, address(0), fee);
    }
}
