// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

/// @title RevertingReceiver — TEST MOCK, never deploy
/// @notice Rejects every ETH transfer, to test a withdrawal whose recipient cannot receive ETH.
contract RevertingReceiver {
    error EthRejected();

    /// @notice Reverts with {EthRejected}.
    receive() external payable {
        revert EthRejected();
    }
}
