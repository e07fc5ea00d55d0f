// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {ReserveVault} from "../../contracts/ReserveVault.sol";
import {
    ConfigAction,
    ConfigChange,
    IReserveVaultEvents,
    OperationState,
    OutflowLimit,
    Withdrawal
} from "../../contracts/interfaces/IReserveVault.sol";
import {ConfigRules} from "../../contracts/rules/ConfigRules.sol";
import {GuardianModule} from "../../contracts/guardians/GuardianModule.sol";
import {MockERC20} from "../../contracts/test/MockERC20.sol";
import {VaultFuzzBase} from "../fuzz/VaultFuzzBase.sol";

/// @title What the vault unit tests share: one 3-of-4 vault with distinct delays, and helpers.
/// @notice Not a test file (no `.t.sol`). The vault has 4 signers (threshold 3) and 3 guardians
///         (threshold 2, council 4), all with known keys; every delay is distinct so that a test
///         can tell which one an eta used. ETH has an outflow limit of 10 ether per week; the mock
///         token is UNLIMITED; the allowlist is empty and off.
abstract contract VaultUnitBase is VaultFuzzBase, IReserveVaultEvents {

    uint256 internal constant SIGNER_COUNT = 4;
    uint256 internal constant THRESHOLD = 3;
    uint256 internal constant GUARDIAN_COUNT = 3;
    uint256 internal constant GUARDIAN_K = 2;
    uint256 internal constant COUNCIL = 4;

    uint256 internal constant WITHDRAWAL_DELAY = 1 days;
    uint256 internal constant CONFIG_DELAY = 2 days;
    uint256 internal constant WINDOW = 3 days;
    uint256 internal constant LONG_DELAY = 4 days;
    uint256 internal constant COOL_OFF = 6 hours;
    uint256 internal constant RECOVERY_DELAY = 5 days;
    uint256 internal constant COUNCIL_DELAY = 6 days;
    uint256 internal constant MAX_FREEZE = 1 hours;
    uint256 internal constant FREEZE_COOLDOWN = 2 hours;
    uint256 internal constant VETO_QUIET = 7 days;
    uint256 internal constant OUTFLOW_PERIOD = 1 weeks;

    uint256 internal constant ETH_LIMIT = 10 ether;
    uint256 internal constant UNLIMITED = type(uint96).max;
    uint256 internal constant VAULT_ETH = 100 ether;
    uint256 internal constant VAULT_TOKENS = 1_000_000e18;

    /// @dev Test start: a whole number of outflow periods (period index 100).
    uint256 internal constant START = 100 weeks;
    uint32 internal constant EPOCH = 1;
    /// @dev Signers 0, 1 and 2: a quorum of exactly M.
    uint256 internal constant QUORUM_MASK = 0x7;

    address internal constant RECIPIENT = address(uint160(uint256(keccak256("VaultUnit.recipient"))));
    address internal constant OUTSIDER = address(uint160(uint256(keccak256("VaultUnit.outsider"))));

    Signer[] internal signerList;
    Signer[] internal guardianList;
    ConfigRules internal rules;
    GuardianModule internal module;
    ReserveVault internal vault;
    MockERC20 internal token;

    function setUp() public virtual {
        vm.warp(START);
        Signer[] memory s = _makeSigners(uint256(keccak256("VaultUnit.signers")), SIGNER_COUNT);
        Signer[] memory g = _makeSigners(uint256(keccak256("VaultUnit.guardians")), GUARDIAN_COUNT);
        for (uint256 i = 0; i < s.length; ++i) {
            signerList.push(s[i]);
        }
        for (uint256 i = 0; i < g.length; ++i) {
            guardianList.push(g[i]);
        }
        rules = new ConfigRules();
        token = new MockERC20("Mock USD", "mUSD", 18);
        (vault, module) = _deploy(_config(_signerAccounts(), THRESHOLD), _policy(new address[](0), false));
        vm.deal(address(vault), VAULT_ETH);
        token.mint(address(vault), VAULT_TOKENS);
    }

    // -------------------------------------------------------------------------------------
    // Deployment
    // -------------------------------------------------------------------------------------

    function _signerAccounts() internal view returns (address[] memory accounts) {
        accounts = new address[](signerList.length);
        for (uint256 i = 0; i < accounts.length; ++i) {
            accounts[i] = signerList[i].account;
        }
    }

    function _guardianAccounts() internal view returns (address[] memory accounts) {
        accounts = new address[](guardianList.length);
        for (uint256 i = 0; i < accounts.length; ++i) {
            accounts[i] = guardianList[i].account;
        }
    }

    /// @dev The default delays for `accounts` and threshold `m`.
    function _config(address[] memory accounts, uint256 m)
        internal
        pure
        returns (ReserveVault.InitialConfig memory config)
    {
        config.signers = accounts;
        config.threshold = m;
        config.withdrawalDelay = WITHDRAWAL_DELAY;
        config.configDelay = CONFIG_DELAY;
        config.executionWindow = WINDOW;
        config.longDelay = LONG_DELAY;
        config.coolOff = COOL_OFF;
        config.recoveryDelay = RECOVERY_DELAY;
        config.councilDelay = COUNCIL_DELAY;
        config.maxFreeze = MAX_FREEZE;
        config.freezeCooldown = FREEZE_COOLDOWN;
        config.vetoQuietPeriod = VETO_QUIET;
    }

    /// @dev ETH limited to ETH_LIMIT, the token UNLIMITED, the given allowlist.
    function _policy(address[] memory allowlist, bool enabled)
        internal
        view
        returns (ReserveVault.InitialPolicy memory policy)
    {
        OutflowLimit[] memory limits = new OutflowLimit[](2);
        limits[0] = OutflowLimit({asset: address(0), limit: ETH_LIMIT});
        limits[1] = OutflowLimit({asset: address(token), limit: UNLIMITED});
        policy = ReserveVault.InitialPolicy({
            outflowPeriod: OUTFLOW_PERIOD,
            outflowLimits: limits,
            allowlist: allowlist,
            allowlistEnabled: enabled
        });
    }

    function _newModule() internal returns (GuardianModule) {
        return new GuardianModule(_guardianAccounts(), GUARDIAN_K, COUNCIL);
    }

    function _deploy(ReserveVault.InitialConfig memory config, ReserveVault.InitialPolicy memory policy)
        internal
        returns (ReserveVault v, GuardianModule m)
    {
        m = _newModule();
        v = new ReserveVault(config, policy, m, rules);
    }

    /// @dev Replaces the test's vault with one using `policy` (funded like the default one).
    function _redeploy(ReserveVault.InitialPolicy memory policy) internal {
        (vault, module) = _deploy(_config(_signerAccounts(), THRESHOLD), policy);
        vm.deal(address(vault), VAULT_ETH);
        token.mint(address(vault), VAULT_TOKENS);
    }

    // -------------------------------------------------------------------------------------
    // Operations
    // -------------------------------------------------------------------------------------

    function _eth(uint256 amount, uint32 nonce) internal pure returns (Withdrawal memory) {
        return Withdrawal({asset: address(0), to: RECIPIENT, amount: amount, nonce: nonce, epoch: EPOCH});
    }

    function _change(ConfigAction action, address account, uint256 value, uint32 nonce)
        internal
        pure
        returns (ConfigChange memory)
    {
        return ConfigChange({
            action: action, account: account, replacement: address(0), value: value, nonce: nonce, epoch: EPOCH
        });
    }

    /// @dev Signatures over `digest` of the signers whose bit is set in `mask`, ascending.
    function _sigs(bytes32 digest, uint256 mask) internal view returns (bytes memory) {
        return _join(_signEach(_subset(signerList, mask), digest));
    }

    function _quorumSigs(bytes32 digest) internal view returns (bytes memory) {
        return _sigs(digest, QUORUM_MASK);
    }

    /// @dev Guardian signatures over `digest` of the guardians whose bit is set in `mask`.
    function _guardianSigs(bytes32 digest, uint256 mask) internal view returns (bytes memory) {
        return _join(_signEach(_subset(guardianList, mask), digest));
    }

    function _signer(uint256 i) internal view returns (address) {
        return signerList[i].account;
    }

    function _guardian(uint256 i) internal view returns (address) {
        return guardianList[i].account;
    }

    /// @dev Queues `w` in `slot` with a quorum's signatures; returns its id and eta.
    function _queue(Withdrawal memory w, uint256 slot) internal returns (bytes32 id, uint256 eta) {
        id = vault.withdrawalId(w);
        vault.queueWithdrawal(w, slot, _quorumSigs(id));
        (, eta,,) = vault.queueSlot(slot);
    }

    /// @dev Queues `c` in `slot` with a quorum's signatures; returns its id.
    function _queueChange(ConfigChange memory c, uint256 slot) internal returns (bytes32 id) {
        id = vault.configChangeId(c);
        vault.queueConfigChange(c, slot, _quorumSigs(id));
    }

    /// @dev Queues `c` in `slot` and executes it at its eta.
    function _executeChange(ConfigChange memory c, uint256 slot) internal {
        _queueChange(c, slot);
        (, uint256 eta,,) = vault.queueSlot(slot);
        vm.warp(eta);
        vault.executeConfigChange(c, slot);
    }

    // -------------------------------------------------------------------------------------
    // Assertions
    // -------------------------------------------------------------------------------------

    function _assertState(bytes32 id, uint256 slot, OperationState expected, string memory what) internal view {
        _assertEq(uint256(vault.operationState(id, slot)), uint256(expected), what);
    }

    function _assertSlot(uint256 slot, bytes32 id, uint256 eta, uint256 deadline, bool free) internal view {
        (bytes32 prefix, uint256 e, uint256 d, bool f) = vault.queueSlot(slot);
        _assertEq(prefix, id & ~bytes32(uint256(type(uint72).max)), "slot id prefix");
        _assertEq(e, eta, "slot eta");
        _assertEq(d, deadline, "slot deadline");
        _assertTrue(f == free, "slot free flag");
    }

    function _assertFalse(bool condition, string memory what) internal pure {
        _assertTrue(!condition, what);
    }
}
