// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

/// @notice Rejects every ETH transfer, to test a withdrawal whose recipient cannot receive ETH.
contract RevertingReceiver {
    error EthRejected();

    receive() external payable {
        revert EthRejected();
    }
}
